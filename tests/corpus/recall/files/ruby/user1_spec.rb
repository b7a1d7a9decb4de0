let(:user) { create(:user, :password => 'Harbor2790*') }
