let(:user) { create(:user, :password => 'U16Jsz7GolI') }
