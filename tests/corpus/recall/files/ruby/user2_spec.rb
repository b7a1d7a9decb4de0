let(:user) { create(:user, :password => '2y6PCEksBORYfw*') }
